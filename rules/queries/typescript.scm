; Extra facts queries for TypeScript and TSX (appended to ecmascript.scm).

(required_parameter pattern: (identifier) @param.name) @param
(optional_parameter pattern: (identifier) @param.name) @param

(public_field_definition
  name: (_) @bind.name
  value: (_) @bind.value) @bind
(public_field_definition name: (_) @param.name) @param

; `async function action({ topic }: Input)`: destructured parameters
(required_parameter pattern: (object_pattern (shorthand_property_identifier_pattern) @param.name)) @param
