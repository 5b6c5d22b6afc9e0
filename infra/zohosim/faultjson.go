package zohosim

import (
	"encoding/json"
	"fmt"
	"time"
)

// faultAlias has Fault's fields without its methods.
type faultAlias Fault

// MarshalJSON writes For and Delay as strings such as "30s".
func (f Fault) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		faultAlias
		For   jsonDuration `json:"for,omitempty"`
		Delay jsonDuration `json:"delay,omitempty"`
	}{faultAlias: faultAlias(f), For: jsonDuration(f.For), Delay: jsonDuration(f.Delay)})
}

// UnmarshalJSON reads a fault rule; For and Delay are strings such as "30s".
// Unknown keys are refused, so a typo cannot silently disable a rule.
func (f *Fault) UnmarshalJSON(b []byte) error {
	aux := struct {
		*faultAlias
		For   jsonDuration `json:"for"`
		Delay jsonDuration `json:"delay"`
	}{faultAlias: (*faultAlias)(f)}
	if err := strictUnmarshal(b, &aux); err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	f.For, f.Delay = time.Duration(aux.For), time.Duration(aux.Delay)
	return nil
}
