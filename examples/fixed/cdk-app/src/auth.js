// Token issuing for the orders API: the signing key is read from Secrets Manager at cold start.
const jwt = require('jsonwebtoken');
const { getSecret } = require('@aws-lambda-powertools/parameters/secrets');

const key = getSecret(process.env.JWT_KEY_SECRET_ID);

exports.issue = async (user) => jwt.sign({ sub: user.id, scope: user.scope }, await key, { expiresIn: '1h' });

exports.check = async (token) => jwt.verify(token, await key);
