// Handlers of the Terraform example (zipped by archive_file). Do not deploy.
exports.get = async (event) => ({ statusCode: 200, body: JSON.stringify({ id: event.pathParameters?.id }) });

exports.thumbnail = async (event) => {
  for (const record of event.Records ?? []) console.log('uploaded', record.s3?.object?.key);
};

exports.exportAll = async () => ({ statusCode: 200, body: '[]' });

exports.process = async (event) => {
  for (const record of event.Records ?? []) console.log('order', record.messageId);
};
