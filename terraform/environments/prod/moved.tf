# This root module called the modules itself before modules/platform: these blocks move
# what the state holds at the old addresses on the next plan, so nothing is destroyed and
# created again.

moved {
  from = module.network
  to   = module.platform.module.network
}

moved {
  from = module.k8s_cluster
  to   = module.platform.module.k8s_cluster
}

moved {
  from = module.kafka
  to   = module.platform.module.kafka
}

moved {
  from = module.postgres
  to   = module.platform.module.postgres
}

moved {
  from = module.observability
  to   = module.platform.module.observability
}

moved {
  from = module.alertd
  to   = module.platform.module.alertd
}

moved {
  from = module.tenant
  to   = module.platform.module.tenant
}
