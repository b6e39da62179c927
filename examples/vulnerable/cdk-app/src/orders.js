// Handlers of the CDK example (bundled into the asset referenced by cdk.out). Deliberately vulnerable: do not deploy.
exports.get = async (event) => {
  const q = event.queryStringParameters ?? {};
  // SSRF: the caller chooses where the function sends its request
  const res = await fetch(q.source);
  const text = await res.text();
  // XSS: the query parameter is written into an HTML page unescaped
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'text/html' },
    body: `<h1>Order ${q.id}</h1><pre>${text.length}</pre>`,
  };
};

exports.thumbnail = async (event) => {
  for (const record of event.Records ?? []) console.log('uploaded', record.s3?.object?.key);
};

exports.exportAll = async () => {
  try {
    return { statusCode: 200, body: JSON.stringify(await listOrders()) };
  } catch (err) {
    // the stack trace goes back to the caller
    return { statusCode: 500, body: JSON.stringify({ error: err.stack }) };
  }
};

async function listOrders() {
  return [];
}
