# The fixed twin of examples/vulnerable/terraform-app/azure.tf: HTTPS only, TLS 1.2, no FTP, and
# App Service authentication with Microsoft Entra ID in front of every function.

resource "azurerm_resource_group" "orders" {
  name     = "orders-rg"
  location = "westeurope"
}

resource "azurerm_storage_account" "orders" {
  name                     = "ordersfnstore"
  resource_group_name      = azurerm_resource_group.orders.name
  location                 = azurerm_resource_group.orders.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_2"
}

resource "azurerm_service_plan" "orders" {
  name                = "orders-plan"
  resource_group_name = azurerm_resource_group.orders.name
  location            = azurerm_resource_group.orders.location
  os_type             = "Linux"
  sku_name            = "Y1"
}

resource "azurerm_linux_function_app" "orders_webhook" {
  name                          = "orders-webhook"
  resource_group_name           = azurerm_resource_group.orders.name
  location                      = azurerm_resource_group.orders.location
  service_plan_id               = azurerm_service_plan.orders.id
  storage_account_name          = azurerm_storage_account.orders.name
  storage_uses_managed_identity = true
  https_only                    = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.2"
    ftps_state          = "Disabled"
    application_stack {
      node_version = "20"
    }
  }

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"

    active_directory_v2 {
      client_id            = "00000000-0000-0000-0000-000000000000"
      tenant_auth_endpoint = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0"
    }

    login {}
  }
}
