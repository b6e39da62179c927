// Nightly export to a partner bucket: the function assumes the partner's role; no static keys.
const { S3Client } = require('@aws-sdk/client-s3');
const { fromTemporaryCredentials } = require('@aws-sdk/credential-providers');

const partner = new S3Client({
  region: 'eu-west-1',
  credentials: fromTemporaryCredentials({ params: { RoleArn: process.env.PARTNER_ROLE_ARN, RoleSessionName: 'orders-export' } }),
});

module.exports = { partner };
