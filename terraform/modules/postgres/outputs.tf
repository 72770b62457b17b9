output "address" {
  description = "Host name of the database."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the database."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "The database that holds the tenants' schemas."
  value       = var.database_name
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the master user's credentials in."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "app_role" {
  description = "The login role alertd connects as; tenant roles are granted to it."
  value       = postgresql_role.app.name
}

# sslmode=require: encrypted. RDS certificates chain to Amazon's RDS authorities, not to the
# system's, so verify-full needs the RDS CA bundle mounted and named with sslrootcert=.
output "database_url" {
  description = "postgres:// URL alertd connects with (ALERTD_DATABASE_URL), over TLS (sslmode=require)."
  value       = "postgres://${postgresql_role.app.name}:${random_password.app.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?sslmode=require"
  sensitive   = true
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.postgres.id
}
