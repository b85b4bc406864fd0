terraform {
  # 1.9 is the first release whose validation blocks may refer to other variables; the checks that
  # a transition comes before expiry and that an IRSA role has an OIDC provider need it.
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
