# Files that must stop a plan before anything is created.

run "id_must_equal_its_directory" {
  command = plan

  variables {
    tenant_file = "tenants/acme/tenant.yaml"
    tenant_yaml = <<-EOT
      id: globex
      routes: {receiver: hook}
    EOT
  }

  expect_failures = [output.id]
}

run "id_must_be_lowercase" {
  command = plan

  variables {
    tenant_file = "tenants/Acme/tenant.yaml"
    tenant_yaml = <<-EOT
      id: Acme
      routes: {receiver: hook}
    EOT
  }

  expect_failures = [output.id]
}

run "id_must_start_with_a_letter" {
  command = plan

  variables {
    tenant_file = "tenants/9lives/tenant.yaml"
    tenant_yaml = "id: 9lives\n"
  }

  expect_failures = [output.id]
}

run "id_is_required" {
  command = plan

  variables {
    tenant_file = "tenants/nobody/tenant.yaml"
    tenant_yaml = "name: Nobody\n"
  }

  expect_failures = [output.id]
}

run "quotas_must_be_positive" {
  command = plan

  variables {
    tenant_file = "tenants/acme/tenant.yaml"
    tenant_yaml = <<-EOT
      id: acme
      quotas: {ingestBurst: 0, retentionDays: -1}
    EOT
  }

  expect_failures = [output.quotas]
}

run "quotas_must_be_numbers" {
  command = plan

  variables {
    tenant_file = "tenants/acme/tenant.yaml"
    tenant_yaml = <<-EOT
      id: acme
      quotas: {ingestPerSecond: fast}
    EOT
  }

  expect_failures = [output.quotas]
}

run "whole_quotas_must_be_whole" {
  command = plan

  variables {
    tenant_file = "tenants/acme/tenant.yaml"
    tenant_yaml = <<-EOT
      id: acme
      quotas: {ingestPerSecond: 2.5, maxBatchSize: 10.5}
    EOT
  }

  expect_failures = [output.quotas]
}

run "unknown_quotas_are_rejected" {
  command = plan

  variables {
    tenant_file = "tenants/acme/tenant.yaml"
    tenant_yaml = <<-EOT
      id: acme
      quotas: {ingestPerMinute: 10}
    EOT
  }

  expect_failures = [output.quotas]
}

run "the_file_must_be_a_tenant_yaml" {
  command = plan

  variables {
    tenant_file = "tenants/acme/config.yaml"
    tenant_yaml = "id: acme\n"
  }

  expect_failures = [var.tenant_file]
}

run "the_text_must_be_yaml" {
  command = plan

  variables {
    tenant_file = "tenants/acme/tenant.yaml"
    tenant_yaml = "id: [acme\n"
  }

  expect_failures = [var.tenant_yaml]
}
