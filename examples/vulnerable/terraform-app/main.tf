# A deliberately vulnerable Terraform app (orders API). Do not apply it: every weakness is on
# purpose (see README.md). The fixed twin is examples/fixed/terraform-app. Secret values are fake.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "db_password" {
  type    = string
  default = "Orders-Db-Pa55word!"
}

data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/orders.zip"
}

resource "aws_iam_role" "orders" {
  name = "orders-functions"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.orders.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy" "orders" {
  name = "orders"
  role = aws_iam_role.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iam:*"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["sqs:*"]
        Resource = aws_sqs_queue.orders.arn
      }
    ]
  })
}

resource "aws_lambda_function" "get_order" {
  function_name    = "orders-get"
  role             = aws_iam_role.orders.arn
  handler          = "orders.get"
  runtime          = "nodejs16.x"
  filename         = data.archive_file.orders.output_path
  source_code_hash = data.archive_file.orders.output_base64sha256

  environment {
    variables = {
      DB_PASSWORD       = var.db_password
      AWS_ACCESS_KEY_ID = "AKIAZ3Q7WXYV2LMN4PRT"
    }
  }
}

resource "aws_lambda_function" "process_order" {
  function_name    = "orders-process"
  role             = aws_iam_role.orders.arn
  handler          = "orders.process"
  runtime          = "nodejs16.x"
  filename         = data.archive_file.orders.output_path
  source_code_hash = data.archive_file.orders.output_base64sha256
  layers           = ["arn:aws:lambda:us-east-1:999988887777:layer:order-telemetry:7"]
}

resource "aws_lambda_function_url" "get_order" {
  function_name      = aws_lambda_function.get_order.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "anyone" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.process_order.function_name
  principal     = "*"
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "get_order" {
  api_id                 = aws_apigatewayv2_api.orders.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.get_order.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "get_order" {
  api_id    = aws_apigatewayv2_api.orders.id
  route_key = "GET /orders/{id}"
  target    = "integrations/${aws_apigatewayv2_integration.get_order.id}"
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
}

data "aws_iam_policy_document" "queue" {
  statement {
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.orders.arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy    = data.aws_iam_policy_document.queue.json
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn = aws_sqs_queue.orders.arn
  function_name    = aws_lambda_function.process_order.arn
}
