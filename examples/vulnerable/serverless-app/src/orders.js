// Deliberately vulnerable handlers for the fnguard example. Do not deploy.
const { exec } = require('node:child_process');
const _ = require('lodash');

exports.get = async (event) => {
  const id = event.pathParameters.id;
  // command injection: the path parameter reaches a shell
  return new Promise((resolve) => {
    exec(`grep ${id} /tmp/orders.csv`, (err, stdout) => resolve({ statusCode: 200, body: stdout }));
  });
};

exports.create = async (event) => {
  const order = JSON.parse(event.body || '{}');
  return { statusCode: 201, body: JSON.stringify(_.pick(order, ['id'])) };
};

exports.exportAll = async () => ({ statusCode: 200, body: '[]' });

exports.process = async (event) => {
  for (const record of event.Records) console.log('order', record.messageId);
};

exports.nightly = async () => {};
