// Database access of the orders functions. Deliberately vulnerable: do not deploy.
// The connection URL carries the database password (fake; fnguard reports it as CSEC-05).
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: 'postgres://orders_app:T7q!mZ2vR9xLw4Kp@orders-db.cluster-c9x2kq7ab1de.us-east-1.rds.amazonaws.com:5432/orders',
});

module.exports = { query: (text, params) => pool.query(text, params) };
