// Package price turns measured AWS usage into dollars with the public
// us-east-1 list prices (no free tier, no savings plans). Every price is a
// constant below with where it was read and when; update them together and
// rerun `make bench` when AWS changes its prices.
package price
