// Package config holds zohosync's config file: orgs, webhook sources, routes
// and the operations each route produces. Types here are the contract other
// packages read; loading and validation live beside them.
package config
