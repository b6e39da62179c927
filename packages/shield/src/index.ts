export const SHIELD_VERSION = '0.1.0';
