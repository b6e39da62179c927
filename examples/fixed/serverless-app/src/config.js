// Shared configuration of the orders handlers: secrets come from the environment at runtime,
// resolved from Secrets Manager by the deployment, and nothing falls back to a literal.
function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

module.exports = {
  tableName: process.env.TABLE_NAME,
  stripeSecretKeyId: required('STRIPE_SECRET_ID'),
  alertsWebhookSecretId: required('ALERTS_WEBHOOK_SECRET_ID'),
};
