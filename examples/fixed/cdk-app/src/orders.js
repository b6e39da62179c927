// Handlers of the CDK example (bundled into the asset referenced by cdk.out).
const ID = /^[A-Za-z0-9-]{1,64}$/;
const escapeHtml = require('escape-html');

exports.get = async (event) => {
  const id = event.queryStringParameters?.id ?? '';
  if (!ID.test(id)) return { statusCode: 400, body: 'bad id' };
  // the host is fixed; only the validated id goes into the path
  const res = await fetch(`https://orders.internal.example.com/orders/${encodeURIComponent(id)}`);
  const text = await res.text();
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'text/html' },
    body: `<h1>Order ${escapeHtml(id)}</h1><pre>${escapeHtml(text.length)}</pre>`,
  };
};

exports.thumbnail = async (event) => {
  for (const record of event.Records ?? []) console.log('uploaded', record.s3?.object?.key);
};

exports.exportAll = async (event, context) => {
  try {
    return { statusCode: 200, body: JSON.stringify(await listOrders()) };
  } catch (err) {
    console.error(err);
    return { statusCode: 500, body: JSON.stringify({ message: 'internal error', requestId: context.awsRequestId }) };
  }
};

async function listOrders() {
  return [];
}
