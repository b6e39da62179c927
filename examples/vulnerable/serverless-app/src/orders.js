// Deliberately vulnerable handlers for the fnguard example. Do not deploy.
const { exec } = require('node:child_process');
const _ = require('lodash');
const AWS = require('aws-sdk');

const db = new AWS.DynamoDB.DocumentClient();
// per-request data kept at module level: the next caller sees the previous customer
let lastCustomer;

exports.get = async (event) => {
  const id = event.pathParameters.id;
  // command injection: the path parameter reaches a shell
  return new Promise((resolve) => {
    exec(`grep ${id} /tmp/orders.csv`, (err, stdout) => resolve({ statusCode: 200, body: stdout }));
  });
};

exports.create = async (event) => {
  const order = JSON.parse(event.body || '{}');
  lastCustomer = order.customer;
  // NoSQL injection: the filter expression is built from the request body
  const dupes = await db
    .scan({ TableName: process.env.TABLE_NAME, FilterExpression: `customer = '${order.customer}'` })
    .promise();
  return { statusCode: 201, body: JSON.stringify({ ..._.pick(order, ['id']), dupes: dupes.Count, lastCustomer }) };
};

exports.exportAll = async () => ({ statusCode: 200, body: '[]' });

exports.process = async (event) => {
  for (const record of event.Records) console.log('order', record.messageId);
};

exports.nightly = async () => {};
