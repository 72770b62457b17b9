# The keys were resources of this module before modules/kms-key: these blocks move them in
# the state on the next plan, so neither is destroyed and created again.

moved {
  from = aws_kms_key.secrets
  to   = module.secrets_key.aws_kms_key.this
}

moved {
  from = aws_kms_key.logs
  to   = module.logs_key.aws_kms_key.this
}
