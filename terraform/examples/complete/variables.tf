variable "region" {
  type        = string
  description = "AWS region of the cluster and the bucket."
  default     = "eu-west-1"
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster whose dumpflow functions use the bucket."
}

variable "bucket_name" {
  type        = string
  description = "Globally unique name of the dumpflow bucket."
}
