// Nightly export to a partner bucket. Deliberately vulnerable: do not deploy.
// A static access key pair written into the code (fake; fnguard reports CSEC-01 and CSEC-02).
const { S3Client } = require('@aws-sdk/client-s3');

const partner = new S3Client({
  region: 'eu-west-1',
  credentials: {
    accessKeyId: 'AKIAZ7Q4WN2KXR3M6TPB',
    secretAccessKey: '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',
  },
});

module.exports = { partner };
