locals {
  # The OIDC provider's ARN ends in its issuer host and path, which is the prefix of the
  # condition keys in the web-identity trust policy.
  oidc_provider = var.oidc_provider_arn == null ? "" : replace(var.oidc_provider_arn, "/^.*:oidc-provider//", "")

  # IAM role names stop at 64 characters; a long bucket name must not break the default.
  role_name = coalesce(var.role_name, substr("${var.bucket_name}-functions", 0, 64))

  # The functions' once-only markers (events/.../StorageLayout.MARKERS_PREFIX): the only objects
  # they delete.
  markers_prefix = "index/_markers/"

  # The records the archive creates once per dump (StorageLayout.BY_ID_PREFIX), which index and
  # notify trust: under index/, so IndexObjects grants put and get and the index lifecycle rule
  # expires them; no statement lets the functions delete them.
  by_id_prefix = "index/_by-id/"

  # The full class histograms (StorageLayout.HISTOGRAMS_PREFIX): the archive creates one per HPROF
  # dump, once, and the index reads them to compute growth between dumps of a workload. Under
  # index/, so IndexObjects grants put and get, ListOwnPrefixes lets the index list its own date
  # partitions, and the index lifecycle rule expires them; no statement lets the functions delete
  # them.
  histograms_prefix = "index/_histograms/"

  # The memory threshold crossings notify keeps, one object per crossing and pod
  # (StorageLayout.THRESHOLDS_PREFIX), created once: under index/, so IndexObjects grants put and
  # get, ListOwnPrefixes lets the OOM-kill handler list a pod's crossings (and a workload's index
  # records of a day, for the last dump before a kill), and the index lifecycle rule expires them;
  # no statement lets the functions delete them.
  thresholds_prefix = "index/_thresholds/"
}

# What the dumpflow functions do, and nothing more: the archive function writes dumps in parts
# and may abort them, and creates each dump's record and histogram under index/; the index
# function reads them, lists and reads earlier index records of the workload, and writes index
# records; index and notify keep once-only markers under index/_markers/; notify keeps threshold
# crossings under index/_thresholds/, which the OOM-kill handler lists and reads with the index
# records; under a redaction policy that keeps originals, the archive puts them under raw/ and
# cannot read them back; the presigned download links are signed for GetObject on dumps/. The download gate, the
# same jar under its own ServiceAccount, lists and reads index records, signs links on dumps/ and
# creates its audit lines under audit/.
data "aws_iam_policy_document" "functions" {
  statement {
    sid = "DumpObjects"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.this.arn}/${local.dumps_prefix}*"]
  }

  statement {
    sid       = "IndexObjects"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.index_prefix}*"]
  }

  # The download gate records each decision as a new object under audit/. Put only: no statement
  # here lets anyone read back, rewrite through a delete, or delete the trail; auditors read it
  # with a role of their own.
  statement {
    sid       = "AuditObjects"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.audit_prefix}*"]
  }

  # With dumpflow.redaction.keep-original the archive also uploads the original, in parts, under
  # raw/. Write only: the functions never read an original back (the bucket policy denies it too).
  statement {
    sid = "RawObjects"
    actions = [
      "s3:PutObject",
      "s3:AbortMultipartUpload",
    ]
    resources = ["${aws_s3_bucket.this.arn}/${local.raw_prefix}*"]
  }

  # Index and notify run once across replicas by creating small marker objects with
  # If-None-Match: * and removing their own claims; the start-up probe of conditional writes
  # creates and removes one key there too. Deleting is allowed there and nowhere else.
  statement {
    sid       = "MarkerObjects"
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.markers_prefix}*"]
  }

  statement {
    sid       = "ListOwnPrefixes"
    actions   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.this.arn]

    # A request without a prefix, or with another one, matches nothing here and is denied.
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.dumps_prefix}*", "${local.index_prefix}*"]
    }
  }

  statement {
    sid       = "BucketKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
    resources = [local.kms_key_arn]

    # The key serves S3 on the functions' behalf, never direct calls.
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${aws_s3_bucket.this.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "functions" {
  name        = "${local.role_name}-bucket"
  description = "Least privilege for the dumpflow functions on ${var.bucket_name}"
  policy      = data.aws_iam_policy_document.functions.json
  tags        = var.tags
}

# IAM Roles for Service Accounts: only the functions' and the download gate's ServiceAccounts,
# through the cluster's OIDC provider, may assume the role.
data "aws_iam_policy_document" "irsa_trust" {
  count = var.create_irsa_role ? 1 : 0

  statement {
    sid     = "FunctionsServiceAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values = compact([
        "system:serviceaccount:${var.service_account_namespace}:${var.service_account_name}",
        var.gate_service_account_name == null ? "" : "system:serviceaccount:${var.service_account_namespace}:${var.gate_service_account_name}",
      ])
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "functions" {
  count = var.create_irsa_role ? 1 : 0

  name                 = local.role_name
  description          = "Assumed by the dumpflow functions' ServiceAccount ${var.service_account_namespace}/${var.service_account_name}"
  assume_role_policy   = data.aws_iam_policy_document.irsa_trust[0].json
  permissions_boundary = var.role_permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "functions" {
  count = var.create_irsa_role ? 1 : 0

  role       = aws_iam_role.functions[0].name
  policy_arn = aws_iam_policy.functions.arn
}

# The only way to read an original kept under raw/: attach this policy to the break-glass
# principals named in raw_break_glass_principal_arns (the bucket policy exempts exactly them).
data "aws_iam_policy_document" "raw_break_glass" {
  statement {
    sid       = "ReadRawOriginals"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/${local.raw_prefix}*"]
  }

  statement {
    sid       = "ListRawOriginals"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.raw_prefix}*"]
    }
  }

  statement {
    sid       = "DecryptRawOriginals"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${aws_s3_bucket.this.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "raw_break_glass" {
  count = length(var.raw_break_glass_principal_arns) > 0 ? 1 : 0

  name        = "${local.role_name}-raw-break-glass"
  description = "Break-glass read of the unredacted originals under raw/ in ${var.bucket_name}"
  policy      = data.aws_iam_policy_document.raw_break_glass.json
  tags        = var.tags
}
