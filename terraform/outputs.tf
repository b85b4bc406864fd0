output "bucket_name" {
  description = "Name of the bucket; the functions' dumpflow.bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_region" {
  description = "Region of the bucket; the functions' quarkus.s3.aws.region."
  value       = aws_s3_bucket.this.region
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the bucket, created by the module or given in kms_key_arn."
  value       = local.kms_key_arn
}

output "policy_arn" {
  description = "ARN of the least-privilege IAM policy for the functions; attach it to your own role when create_irsa_role is false."
  value       = aws_iam_policy.functions.arn
}

output "role_arn" {
  description = "ARN of the IRSA role for the functions' ServiceAccount, or null when create_irsa_role is false."
  value       = var.create_irsa_role ? aws_iam_role.functions[0].arn : null
}

output "service_account_annotations" {
  description = "Annotations for the functions' ServiceAccount that make EKS inject the role's web identity."
  value       = var.create_irsa_role ? { "eks.amazonaws.com/role-arn" = aws_iam_role.functions[0].arn } : {}
}

output "functions_configuration" {
  description = "application.properties lines for the dumpflow functions. The bucket's lifecycle rules are Terraform's, so the functions leave them alone; credentials come from the default chain, which picks up the IRSA web identity."
  value       = <<-EOT
    dumpflow.bucket=${aws_s3_bucket.this.id}
    dumpflow.retention.manage=false
    quarkus.s3.aws.region=${aws_s3_bucket.this.region}
    quarkus.s3.aws.credentials.type=default
  EOT
}

output "functions_environment" {
  description = "The same configuration as environment variables, for the functions' Knative Service."
  value = {
    DUMPFLOW_BUCKET                 = aws_s3_bucket.this.id
    DUMPFLOW_RETENTION_MANAGE       = "false"
    QUARKUS_S3_AWS_REGION           = aws_s3_bucket.this.region
    QUARKUS_S3_AWS_CREDENTIALS_TYPE = "default"
  }
}

output "raw_break_glass_policy_arn" {
  description = "ARN of the policy that reads the originals under raw/, to attach to the principals in raw_break_glass_principal_arns; null when none are named."
  value       = length(var.raw_break_glass_principal_arns) > 0 ? aws_iam_policy.raw_break_glass[0].arn : null
}
