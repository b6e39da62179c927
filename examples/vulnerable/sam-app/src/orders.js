// Deliberately vulnerable handlers for the fnguard example. Do not deploy.
const { exec } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const mysql = require('mysql2/promise');

const pool = mysql.createPool({ host: process.env.DB_HOST });

exports.get = async (event) => {
  const id = event.pathParameters.id;
  // command injection: the path parameter reaches a shell
  return new Promise((resolve) => {
    exec(`grep ${id} /tmp/orders.csv`, (err, stdout) => resolve({ statusCode: 200, body: stdout }));
  });
};

exports.create = async (event) => {
  const order = JSON.parse(event.body || '{}');
  // SQL injection: the body's fields are concatenated into the statement
  await pool.query(`INSERT INTO orders (id, note) VALUES ('${order.id}', '${order.note}')`);
  return { statusCode: 201, body: JSON.stringify({ id: order.id }) };
};

exports.exportAll = async (event) => {
  // path traversal: ?file=../../proc/self/environ reads the function's credentials
  const file = path.join('/var/task/exports', event.queryStringParameters?.file ?? 'orders.csv');
  return { statusCode: 200, body: fs.readFileSync(file, 'utf8') };
};

exports.process = async (event) => {
  for (const record of event.Records) console.log('order', record.messageId);
};

exports.nightly = async () => {};
