# A complete deployment: the dumpflow bucket for an EKS cluster, with the module's own KMS key,
# versioning, dumps kept 60 days and moved to STANDARD_IA after 30, and an IRSA role for the
# functions' ServiceAccount.

provider "aws" {
  region = var.region
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

# The cluster's IAM OIDC provider, created with the cluster (eksctl, the EKS module or the console).
data "aws_iam_openid_connect_provider" "this" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

module "dumpflow_bucket" {
  source = "../.."

  bucket_name = var.bucket_name

  dump_retention_days      = 60
  index_retention_days     = 365
  transition_days          = 30
  transition_storage_class = "STANDARD_IA"

  versioning_enabled                 = true
  noncurrent_version_expiration_days = 7

  oidc_provider_arn         = data.aws_iam_openid_connect_provider.this.arn
  service_account_namespace = "dumpflow"
  service_account_name      = "dumpflow-functions"

  tags = {
    app   = "dumpflow"
    owner = "platform"
  }
}
