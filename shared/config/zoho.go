package config

// What validation knows about Zoho CRM. Field-level facts (which custom
// fields exist, which are unique) live in the CRM, not here.

// DataCenters are the Zoho data centres an org may name.
var DataCenters = []string{"us", "eu", "in", "au", "jp", "ca", "sa", "cn", "uk"}

// EditionConcurrency is each edition's concurrent-call limit; an org's
// concurrency_share may not exceed it.
var EditionConcurrency = map[string]int{
	"free":         5,
	"standard":     10,
	"professional": 15,
	"enterprise":   20,
	"ultimate":     25,
}

// Schemes are the signature schemes a source's verify may name.
var Schemes = []string{"stripe", "shopify", "typeform", "calendly", "standard", "hmac", "shared_secret", "none"}

// timedSchemes sign a timestamp, so a tolerance applies to them.
var timedSchemes = map[string]bool{"stripe": true, "calendly": true, "standard": true, "hmac": true}

// Triggers are the automation names Zoho's trigger array accepts.
var Triggers = []string{"workflow", "approval", "blueprint", "pathfinder", "orchestration"}

// insertOnlyModules cannot be upserted (Zoho's upsert does not cover them).
var insertOnlyModules = map[string]bool{"Tasks": true, "Events": true, "Calls": true, "Notes": true}

// mandatoryFields are the system-mandatory fields of standard modules: an
// op that may create a record (insert, upsert) must write them.
var mandatoryFields = map[string][]string{
	"Leads":       {"Last_Name"},
	"Contacts":    {"Last_Name"},
	"Accounts":    {"Account_Name"},
	"Deals":       {"Deal_Name", "Stage"},
	"Campaigns":   {"Campaign_Name"},
	"Products":    {"Product_Name"},
	"Vendors":     {"Vendor_Name"},
	"Tasks":       {"Subject"},
	"Calls":       {"Subject"},
	"Cases":       {"Subject"},
	"Solutions":   {"Solution_Title"},
	"Price_Books": {"Price_Book_Name"},
}

// MaxChain is the most operations a route with lookups between its ops may
// have: Zoho's composite request takes at most 5 sub-requests.
const MaxChain = 5
