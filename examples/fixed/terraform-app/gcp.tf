# The fixed twin of the Google Cloud function in examples/vulnerable/terraform-app/gcp.tf: it runs
# as its own least-privilege service account and only the scheduler's account may invoke it.

resource "google_storage_bucket" "orders_source" {
  name                        = "orders-fn-source"
  location                    = "US"
  uniform_bucket_level_access = true
}

resource "google_service_account" "export_orders" {
  account_id   = "orders-export"
  display_name = "orders export function"
}

resource "google_service_account" "scheduler" {
  account_id   = "orders-scheduler"
  display_name = "calls the orders export"
}

resource "google_cloudfunctions2_function" "export_orders" {
  name     = "orders-export"
  location = "us-central1"

  build_config {
    runtime     = "nodejs22"
    entry_point = "exportAll"
    source {
      storage_source {
        bucket = google_storage_bucket.orders_source.name
        object = "orders.zip"
      }
    }
  }

  service_config {
    max_instance_count    = 10
    available_memory      = "256M"
    timeout_seconds       = 60
    ingress_settings      = "ALLOW_INTERNAL_ONLY"
    service_account_email = google_service_account.export_orders.email
  }
}

resource "google_cloudfunctions2_function_iam_member" "export_invoker" {
  project        = google_cloudfunctions2_function.export_orders.project
  location       = google_cloudfunctions2_function.export_orders.location
  cloud_function = google_cloudfunctions2_function.export_orders.name
  role           = "roles/cloudfunctions.invoker"
  member         = "serviceAccount:${google_service_account.scheduler.email}"
}
