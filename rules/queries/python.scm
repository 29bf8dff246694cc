; Facts queries for Python. Captures are read by src/model/facts.c by name:
;   @import  an import statement          @bind / @bind.name / @bind.value  a binding
;   @call / @call.callee / @call.args     a call (functions and classes alike)
;   @scope   a function body: names bound inside it are local to it
;   @param / @param.name  a parameter (its type is read from the node)
;   @string  a string literal (model ids, api keys)

(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import

(assignment
  left: (_) @bind.name
  right: (_) @bind.value) @bind

(named_expression
  name: (identifier) @bind.name
  value: (_) @bind.value) @bind

; `prompt += text` appends to the string the name held (facts_append_value)
(augmented_assignment
  left: (identifier) @bind.name
  operator: "+="
  right: (_) @bind.value) @bind

(call
  function: (_) @call.callee
  arguments: (argument_list) @call.args) @call

(function_definition) @scope
(lambda) @scope

(parameters (identifier) @param.name) @param
(lambda_parameters (identifier) @param.name) @param
(typed_parameter (identifier) @param.name type: (type)) @param
(default_parameter name: (identifier) @param.name) @param
(typed_default_parameter name: (identifier) @param.name type: (type)) @param

(string) @string

; `with httpx.Client(timeout=60) as client:`
(as_pattern
  (_) @bind.value
  alias: (as_pattern_target (identifier) @bind.name)) @bind

; A function or class definition binds its name (its value is the
; definition: a function summary or the class's instance state).
(function_definition name: (identifier) @def.name) @def
(class_definition name: (identifier) @def.name) @def
