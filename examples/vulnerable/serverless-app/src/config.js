// Shared configuration of the orders handlers. Deliberately vulnerable: do not deploy.
// The values below are fake, in real formats (fnguard reports them as CSEC-04).
module.exports = {
  tableName: process.env.TABLE_NAME,
  // a live payment key as the fallback of an environment variable: it is used whenever the variable is missing
  stripeSecretKey: process.env.STRIPE_SECRET_KEY || 'sk_live_51Pq8ZrKx2mVt7LwN4cYhB9dQ3sJ6gF0aE5uR1oT8kW2yX7nM4pL',
  // an incoming webhook URL is a credential: anyone holding it can post to the channel
  alertsWebhook: 'https://hooks.slack.com/services/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',
};
