package zohosim

import (
	"net/http"
	"strconv"
)

// successDetails are the details of a written record (docs/ZOHO.md §1.2).
type successDetails struct {
	ModifiedTime string  `json:"Modified_Time"`
	ModifiedBy   userRef `json:"Modified_By"`
	CreatedTime  string  `json:"Created_Time"`
	ID           string  `json:"id"`
	CreatedBy    userRef `json:"Created_By"`
}

// recordResult is one item of a write's data[]: a success or an error.
type recordResult struct {
	Code    string `json:"code"`
	Details any    `json:"details"`
	Message string `json:"message"`
	Status  string `json:"status"`
}

// upsertResult adds upsert's action and duplicate_field to a success.
type upsertResult struct {
	recordResult
	DuplicateField *string `json:"duplicate_field"`
	Action         string  `json:"action"`
}

func successResult(message string, d successDetails) recordResult {
	return recordResult{Code: "SUCCESS", Details: d, Message: message, Status: "success"}
}

func errorResult(e *apiError) recordResult {
	return recordResult{Code: e.Code, Details: e.Details, Message: e.Message, Status: "error"}
}

// recordFaultCodes are the per-record codes faults can inject.
var recordFaultCodes = []string{
	"INVALID_DATA", "MANDATORY_NOT_FOUND", "DUPLICATE_DATA", "MULTIPLE_OR_MULTI_ERRORS",
	"DEPENDENT_FIELD_MISSING", "RECORD_LOCKED", "NOT_APPROVED", "ALREADY_MODIFIED",
	"LIMIT_EXCEEDED", "INTERNAL_ERROR", "DEPENDENT_SERVICE_ERROR",
}

// syntheticError builds an injected per-record error with the details Zoho
// documents for its code (docs/ZOHO.md §2). field is a field of the record (or
// the module's duplicate-check field) used for api_name.
func (s *Sim) syntheticError(code string, mod *module, field string, index int) *apiError {
	path := "$.data[" + strconv.Itoa(index) + "]." + field
	bad := http.StatusBadRequest
	switch code {
	case "INVALID_DATA":
		return errInvalidKey(field, path, map[string]any{"expected_data_type": expectedType(mod.byName[field].DataType)})
	case "MANDATORY_NOT_FOUND":
		return errMandatoryKey(field, path)
	case "DUPLICATE_DATA":
		return s.duplicateError(mod, field, path, systemID(999), false)
	case "MULTIPLE_OR_MULTI_ERRORS":
		return newError(bad, code, "multiple errors", map[string]any{"errors": []any{
			errorResult(errInvalidKey(field, path, map[string]any{"expected_data_type": expectedType(mod.byName[field].DataType)})),
			errorResult(errMandatoryKey(field, path)),
		}})
	case "DEPENDENT_FIELD_MISSING":
		return newError(bad, code, "dependent field missing", map[string]any{"api_name": field, "json_path": path,
			"dependee": map[string]any{"api_name": mod.dupCheck}})
	case "RECORD_LOCKED":
		return newError(bad, code, "the record is locked", nil)
	case "NOT_APPROVED":
		return newError(bad, code, "record not approved", nil)
	case "ALREADY_MODIFIED":
		return newError(http.StatusPreconditionFailed, code, "the record was modified after the given time", nil)
	case "LIMIT_EXCEEDED":
		return newError(bad, code, "limit exceeded", map[string]any{"by": "limit", "limit": 1})
	case "DEPENDENT_SERVICE_ERROR":
		return newError(bad, code, "dependent service error", map[string]any{"dependency_error": map[string]any{}})
	}
	return newError(http.StatusInternalServerError, "INTERNAL_ERROR", "Internal Server Error", nil)
}

// duplicateError is DUPLICATE_DATA pointing at the existing record.
func (s *Sim) duplicateError(mod *module, field, path, id string, more bool) *apiError {
	return newError(http.StatusBadRequest, "DUPLICATE_DATA", "duplicate data", map[string]any{
		"api_name":  field,
		"json_path": path,
		"duplicate_record": map[string]any{
			"id":     id,
			"module": map[string]any{"api_name": mod.name, "id": mod.id},
			"Owner":  map[string]any{"name": s.user.Name, "id": s.user.ID, "zuid": userZUID},
		},
		"more_records": more,
	})
}
