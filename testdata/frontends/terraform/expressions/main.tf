variable "settings" {
  default = {
    public = false
    tier   = "premium"
    names  = ["a", "b"]
  }
}

variable "env" {
  type = string
}

locals {
  upper_names = [for n in var.settings.names : upper(n)]
  by_name     = { for n in var.settings.names : n => "st${n}" if n != "b" }
  joined      = join("-", concat(local.upper_names, ["x"]))
  merged      = merge({ a = 1 }, { b = 2 })
  sku         = title(var.settings.tier) == "premium" ? "Premium" : lookup({ premium = "Premium" }, var.settings.tier, "Basic")
  pna         = var.settings.public ? "Enabled" : "Disabled"
  cyc_a       = local.cyc_b
  cyc_b       = local.cyc_a
  json        = jsondecode(jsonencode({ k = "v" }))
  fmt         = format("acr%s%03d", var.env, 7)
}

resource "azurerm_container_registry" "acr" {
  name                          = local.fmt
  location                      = "westeurope"
  resource_group_name           = "rg-${var.env}"
  sku                           = local.sku
  public_network_access_enabled = !var.settings.public
  admin_enabled                 = try(local.json.missing, local.json.k == "v")
  anonymous_pull_enabled        = coalesce(null, length(local.upper_names) > 1)
  network_rule_bypass_option    = local.cyc_a

  tags = {
    joined = local.joined
    first  = local.by_name["a"]
    count  = length(local.merged)
    sub    = substr("abcdef", 1, 3)
    env    = "${var.env}-${upper("x")}"
  }

  dynamic "network_rule_set" {
    for_each = ["one"]
    content {
      default_action = "Deny"
    }
  }
}

resource "azurerm_storage_account" "st" {
  name                     = "st${var.env}"
  resource_group_name      = "rg-${var.env}"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw"
  location                = "westeurope"
  resource_group_name     = "rg-${var.env}"
  storage_account_id      = "/subscriptions/s/resourceGroups/rg-${var.env}/providers/Microsoft.Storage/storageAccounts/st${var.env}"
  key_vault_id            = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${var.env}"
  application_insights_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/appi"

  identity {
    type = "SystemAssigned"
  }
}
