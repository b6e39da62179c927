// Database access of the orders functions: IAM database authentication, no password anywhere.
const { Signer } = require('@aws-sdk/rds-signer');
const { Pool } = require('pg');

const signer = new Signer({ hostname: process.env.DB_HOST, port: 5432, username: process.env.DB_USER });
const pool = new Pool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  database: 'orders',
  password: () => signer.getAuthToken(),
  ssl: true,
});

module.exports = { query: (text, params) => pool.query(text, params) };
