pna  = false
name = "mlw-from-tfvars"
