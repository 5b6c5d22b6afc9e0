// Package app builds zohosync's handlers from their settings, once per
// container: the AWS clients, the config file, resolved secrets, the state
// table, the events queue, the Zoho client, the token store and the credit
// ledger. The Lambda mains (functions/…) and the local stack (infra/local)
// both build through it, so what runs locally is wired exactly as what is
// deployed.
package app
