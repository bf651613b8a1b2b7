/**
 * The server's entry runs in production mode unless NODE_ENV says otherwise: graphql-js's development-only checks
 * (`instanceOf` guarding against two copies of the module, 4 % of the incident list's CPU in a profile) read
 * NODE_ENV once, when graphql loads, so this module is main.ts's first import. Nothing of ours depends on NODE_ENV.
 */
process.env.NODE_ENV ??= 'production';
