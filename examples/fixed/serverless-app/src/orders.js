// Handlers of the fixed example app.
const { execFile } = require('node:child_process');
const _ = require('lodash');

const ID = /^[A-Za-z0-9-]{1,64}$/;

exports.get = async (event) => {
  const id = event.pathParameters?.id ?? '';
  if (!ID.test(id)) return { statusCode: 400, body: 'bad id' };
  // no shell: the id is passed as one argument
  return new Promise((resolve) => {
    execFile('grep', ['--', id, '/tmp/orders.csv'], (err, stdout) => resolve({ statusCode: 200, body: stdout }));
  });
};

exports.create = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body || '{}');
  } catch {
    return { statusCode: 400, body: 'invalid JSON' };
  }
  if (typeof order.id !== 'string' || !ID.test(order.id)) return { statusCode: 400, body: 'bad id' };
  return { statusCode: 201, body: JSON.stringify(_.pick(order, ['id'])) };
};

exports.exportAll = async () => ({ statusCode: 200, body: '[]' });

exports.process = async (event) => {
  for (const record of event.Records) console.log('order', record.messageId);
};

exports.nightly = async () => {};
