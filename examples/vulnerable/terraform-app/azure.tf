# The orders webhook, also deployed as an Azure function app. Vulnerable on purpose: no App
# Service authentication (AZ-01), plain HTTP and FTP deployment allowed (AZ-02), TLS 1.0
# accepted (AZ-03).

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
}

resource "azurerm_service_plan" "orders" {
  name                = "orders-plan"
  resource_group_name = azurerm_resource_group.orders.name
  location            = azurerm_resource_group.orders.location
  os_type             = "Linux"
  sku_name            = "Y1"
}

resource "azurerm_linux_function_app" "orders_webhook" {
  name                       = "orders-webhook"
  resource_group_name        = azurerm_resource_group.orders.name
  location                   = azurerm_resource_group.orders.location
  service_plan_id            = azurerm_service_plan.orders.id
  storage_account_name       = azurerm_storage_account.orders.name
  storage_account_access_key = azurerm_storage_account.orders.primary_access_key
  https_only                 = false

  site_config {
    minimum_tls_version = "1.0"
    ftps_state          = "AllAllowed"
    application_stack {
      node_version = "20"
    }
  }
}
