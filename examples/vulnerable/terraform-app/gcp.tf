# The same orders export, also deployed as a Google Cloud function (2nd gen). Vulnerable on
# purpose: it runs as the default compute service account (GCP-01) and anyone on the internet
# may invoke it (GCP-02).

resource "google_storage_bucket" "orders_source" {
  name                        = "orders-fn-source"
  location                    = "US"
  uniform_bucket_level_access = true
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
    max_instance_count = 10
    available_memory   = "256M"
    timeout_seconds    = 60
  }
}

resource "google_cloudfunctions2_function_iam_member" "export_public" {
  project        = google_cloudfunctions2_function.export_orders.project
  location       = google_cloudfunctions2_function.export_orders.location
  cloud_function = google_cloudfunctions2_function.export_orders.name
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}
