; Extra facts queries for JavaScript (appended to ecmascript.scm).

(field_definition
  property: (_) @bind.name
  value: (_) @bind.value) @bind

(formal_parameters (identifier) @param.name) @param

; `async function action({ topic })`: destructured parameters
(formal_parameters (object_pattern (shorthand_property_identifier_pattern) @param.name) @param)
