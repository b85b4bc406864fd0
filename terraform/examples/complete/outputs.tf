output "bucket_name" {
  description = "Name of the bucket."
  value       = module.dumpflow_bucket.bucket_name
}

output "role_arn" {
  description = "ARN of the role the functions' ServiceAccount assumes."
  value       = module.dumpflow_bucket.role_arn
}

output "service_account_annotations" {
  description = "Annotations to put on the functions' ServiceAccount."
  value       = module.dumpflow_bucket.service_account_annotations
}

output "functions_configuration" {
  description = "application.properties lines for the functions."
  value       = module.dumpflow_bucket.functions_configuration
}

output "functions_environment" {
  description = "The functions' configuration as environment variables, for knative/300-configmap.yaml (docs/deploy.md)."
  value       = module.dumpflow_bucket.functions_environment
}
