# The key was a resource of this module before modules/kms-key: this block moves it in the
# state on the next plan, so it is not destroyed and created again.

moved {
  from = aws_kms_key.postgres
  to   = module.key.aws_kms_key.this
}
