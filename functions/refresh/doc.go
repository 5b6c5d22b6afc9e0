// Command refresh is zohosync's scheduled Lambda (an EventBridge schedule,
// every 10 minutes by default). It is wiring only: for every org of the
// config, shared/auth's Scheduled handler renews the access token before
// it comes near expiry - through the same fleet-wide refresh lease and mint
// cap as the hot path - tidies the org's credit ledger (shared/ledger) and
// emits the TokenAge, TokenMintsRecent, TokenMints and SlotsFreed metrics.
//
// Environment: as every zohosync function (see shared/app): ZOHOSYNC_TABLE,
// ZOHOSYNC_EVENTS_QUEUE_URL, ZOHOSYNC_CONFIG, ZOHOSYNC_LOG_LEVEL and the
// ZOHOSYNC_DEFAULT_* org defaults. Each org's client_id and client_secret
// references are resolved when its token is first refreshed. A cold-start
// failure is logged once and the process exits non-zero.
package main
