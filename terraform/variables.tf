variable "bucket_name" {
  type        = string
  description = "Name of the bucket that holds the dumps and their index records. S3 bucket names are global: 3 to 63 lower-case letters, digits, dots and hyphens."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3 to 63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Whether terraform destroy may delete a bucket that still holds dumps. Keep false outside test accounts."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource that takes tags."
  default     = {}
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of an existing KMS key for SSE-KMS. Null makes the module create its own key, with rotation on. A given key's policy must let the functions' role use it."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "kms_key_deletion_window_in_days" {
  type        = number
  description = "Waiting period, in days, before the module's own KMS key is deleted after a destroy. AWS accepts 7 to 30."
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "versioning_enabled" {
  type        = bool
  description = "Whether the bucket keeps noncurrent object versions, so that a stored dump or record that is overwritten or deleted can still be recovered. On by default; noncurrent versions expire after noncurrent_version_expiration_days."
  default     = true
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days after which a noncurrent object version is deleted. Used only when versioning_enabled is true."
  default     = 7

  validation {
    condition     = var.noncurrent_version_expiration_days > 0 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number greater than 0."
  }
}

variable "dump_retention_days" {
  type        = number
  description = "Days after which a stored dump under dumps/ expires. Equals the functions' dumpflow.retention.dump-days default."
  default     = 14

  validation {
    condition     = var.dump_retention_days > 0 && floor(var.dump_retention_days) == var.dump_retention_days
    error_message = "dump_retention_days must be a whole number greater than 0."
  }
}

variable "index_retention_days" {
  type        = number
  description = "Days after which an index record under index/ expires. Equals the functions' dumpflow.retention.index-days default."
  default     = 90

  validation {
    condition     = var.index_retention_days > 0 && floor(var.index_retention_days) == var.index_retention_days
    error_message = "index_retention_days must be a whole number greater than 0."
  }
}

variable "audit_retention_days" {
  type        = number
  description = "Days after which an audit line of the download gate under audit/ expires. Kept longer than the dumps and index records it is about, for reviews after the fact."
  default     = 365

  validation {
    condition     = var.audit_retention_days > 0 && floor(var.audit_retention_days) == var.audit_retention_days
    error_message = "audit_retention_days must be a whole number greater than 0."
  }
}

variable "raw_retention_days" {
  type        = number
  description = "Days after which an original kept under raw/ expires (the functions' dumpflow.redaction.keep-original, rounded up to whole days). Short on purpose: the originals hold the secrets that redaction removes."
  default     = 3

  validation {
    condition     = var.raw_retention_days > 0 && floor(var.raw_retention_days) == var.raw_retention_days
    error_message = "raw_retention_days must be a whole number greater than 0."
  }
}

variable "raw_break_glass_principal_arns" {
  type        = list(string)
  description = "IAM roles or users that may read the originals under raw/ (attach the raw_break_glass_policy_arn output to them); the bucket policy denies every other principal, the functions included. Empty: nobody can read them."
  default     = []

  validation {
    condition     = alltrue([for arn in var.raw_break_glass_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "raw_break_glass_principal_arns must hold IAM role or user ARNs (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "transition_days" {
  type        = number
  description = "Days after which a dump moves to transition_storage_class, or null to keep dumps in STANDARD until they expire. Must come before dump_retention_days."
  default     = null

  validation {
    condition     = var.transition_days == null || try(var.transition_days > 0 && floor(var.transition_days) == var.transition_days, false)
    error_message = "transition_days must be null or a whole number greater than 0."
  }

  validation {
    condition     = var.transition_days == null || try(var.transition_days < var.dump_retention_days, false)
    error_message = "transition_days must be less than dump_retention_days: a dump has to move before it expires."
  }

  validation {
    condition     = var.transition_days == null || try(var.transition_days >= lookup({ STANDARD_IA = 30, ONEZONE_IA = 30 }, var.transition_storage_class, 0), false)
    error_message = "AWS moves objects to STANDARD_IA or ONEZONE_IA only after at least 30 days: raise transition_days to 30 or more, or pick another storage class."
  }
}

variable "transition_storage_class" {
  type        = string
  description = "Storage class that dumps move to after transition_days. STANDARD_IA and ONEZONE_IA need transition_days of at least 30."
  default     = "STANDARD_IA"

  validation {
    condition     = contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.transition_storage_class)
    error_message = "transition_storage_class must be one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  type        = number
  description = "Days after which an unfinished multipart upload of a dump is aborted and its parts deleted. Equals the functions' dumpflow.retention.abort-incomplete-multipart-days default."
  default     = 1

  validation {
    condition     = var.abort_incomplete_multipart_upload_days > 0 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number greater than 0."
  }
}

variable "create_irsa_role" {
  type        = bool
  description = "Whether to create an IAM role for the functions' Kubernetes ServiceAccount (IRSA). When false, attach the output policy_arn to a role of your own."
  default     = true
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider, arn:aws:iam::<account>:oidc-provider/<issuer host and path>. Required when create_irsa_role is true."
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be null or an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer>)."
  }

  validation {
    condition     = !var.create_irsa_role || var.oidc_provider_arn != null
    error_message = "oidc_provider_arn is required when create_irsa_role is true."
  }
}

variable "service_account_namespace" {
  type        = string
  description = "Kubernetes namespace of the functions' ServiceAccount; the only namespace whose tokens may assume the role."
  default     = "dumpflow"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.service_account_namespace))
    error_message = "service_account_namespace must be a Kubernetes namespace name (a DNS label)."
  }
}

variable "service_account_name" {
  type        = string
  description = "Name of the functions' Kubernetes ServiceAccount; the only ServiceAccount whose tokens may assume the role."
  default     = "dumpflow-functions"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.service_account_name))
    error_message = "service_account_name must be a Kubernetes object name (a DNS subdomain)."
  }
}

variable "gate_service_account_name" {
  type        = string
  description = "Name of the download gate's Kubernetes ServiceAccount (knative/260-serviceaccount-gate.yaml), in service_account_namespace; its tokens may assume the role too, or null to let only the functions' ServiceAccount."
  default     = "dumpflow-gate"

  validation {
    condition     = var.gate_service_account_name == null || can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.gate_service_account_name))
    error_message = "gate_service_account_name must be a Kubernetes object name (a DNS subdomain) or null."
  }
}

variable "role_name" {
  type        = string
  description = "Name of the IRSA role. Null names it <bucket_name>-functions."
  default     = null

  validation {
    condition     = var.role_name == null || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be null or 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "role_permissions_boundary_arn" {
  type        = string
  description = "ARN of a policy that bounds the IRSA role's permissions, or null for none."
  default     = null
}
