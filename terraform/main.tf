locals {
  # The key layout's single source is dev.dumpflow.events.StorageLayout (DUMPS_PREFIX,
  # INDEX_PREFIX); TerraformModuleTest fails the build when these drift from it.
  dumps_prefix = "dumps/"
  index_prefix = "index/"
  # The download gate's audit trail (StorageLayout.AUDIT_PREFIX): one object per decision, which
  # the gate may create and nobody in this module may delete; its own lifecycle rule keeps it
  # longer than the dumps it is about.
  audit_prefix = "audit/"
  # The originals kept for a short time under a redaction policy (StorageLayout.RAW_PREFIX,
  # dumpflow.redaction.keep-original): the functions may only put there, the bucket policy lets
  # only the break-glass principals read, and a short rule of their own expires them.
  raw_prefix = "raw/"

  create_kms_key = var.kms_key_arn == null
  kms_key_arn    = local.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn
}

resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "Encrypts the memory dumps and index records in ${var.bucket_name}"
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  enable_key_rotation     = true
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.bucket_name}"
  target_key_id = aws_kms_key.this[0].key_id
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
    # An S3 Bucket Key cuts the KMS requests of a multipart upload from one per part to a few.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid     = "DenyOutdatedTls"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }

  # A redacted dump's original holds the secrets redaction removed: nobody reads it, whatever
  # their own policies allow (the functions, account administrators), except the break-glass
  # principals. With none named, nobody can read it before it expires.
  statement {
    sid       = "RawOnlyForBreakGlass"
    effect    = "Deny"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes"]
    resources = ["${aws_s3_bucket.this.arn}/${local.raw_prefix}*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    dynamic "condition" {
      for_each = length(var.raw_break_glass_principal_arns) > 0 ? [var.raw_break_glass_principal_arns] : []

      content {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = condition.value
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 refuses a policy while the public access block is being changed at the same time.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.versioning_enabled ? 1 : 0

  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# Rule IDs equal those that the functions apply with dumpflow.retention.manage=true (RetentionRules),
# so the two never fight over a bucket: the functions find these rules and change nothing.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "dumpflow-dumps"
    status = "Enabled"

    filter {
      prefix = local.dumps_prefix
    }

    expiration {
      days = var.dump_retention_days
    }

    dynamic "transition" {
      for_each = var.transition_days == null ? [] : [var.transition_days]

      content {
        days          = transition.value
        storage_class = var.transition_storage_class
      }
    }
  }

  rule {
    id     = "dumpflow-index"
    status = "Enabled"

    filter {
      prefix = local.index_prefix
    }

    expiration {
      days = var.index_retention_days
    }
  }

  rule {
    id     = "dumpflow-audit"
    status = "Enabled"

    filter {
      prefix = local.audit_prefix
    }

    expiration {
      days = var.audit_retention_days
    }
  }

  # Originals kept under a redaction policy: a short life of their own, and their unfinished
  # uploads aborted like those of dumps/.
  rule {
    id     = "dumpflow-raw"
    status = "Enabled"

    filter {
      prefix = local.raw_prefix
    }

    expiration {
      days = var.raw_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  rule {
    id     = "dumpflow-abort-incomplete-uploads"
    status = "Enabled"

    # Only the archive function uploads in parts, and only under dumps/.
    filter {
      prefix = local.dumps_prefix
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  dynamic "rule" {
    for_each = var.versioning_enabled ? [var.noncurrent_version_expiration_days] : []

    content {
      id     = "dumpflow-noncurrent-versions"
      status = "Enabled"

      filter {}

      noncurrent_version_expiration {
        noncurrent_days = rule.value
      }

      # Expiring a current version leaves a delete marker; remove it once nothing is behind it.
      expiration {
        expired_object_delete_marker = true
      }
    }
  }

  # The rules must see the versioning state they were written for.
  depends_on = [aws_s3_bucket_versioning.this]
}
