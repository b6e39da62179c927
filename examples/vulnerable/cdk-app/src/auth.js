// Token issuing for the orders API. Deliberately vulnerable: do not deploy.
// The JWT signing key is written in the code (fnguard reports CSEC-06): anyone who reads it can forge tokens.
const jwt = require('jsonwebtoken');

exports.issue = (user) => jwt.sign({ sub: user.id, scope: user.scope }, 'orders-api-signing-key-2024', { expiresIn: '1h' });

exports.check = (token) => jwt.verify(token, 'orders-api-signing-key-2024');
