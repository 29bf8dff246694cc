; Facts queries shared by JavaScript, TypeScript and TSX; javascript.scm or
; typescript.scm is appended for each dialect. Captures are read by src/model/facts.c by name:
;   @import  an import statement          @bind / @bind.name / @bind.value  a binding
;   @call / @call.callee / @call.args     a call;  @new: a `new` expression
;   @scope   a function: names bound inside it are local to it
;   @param / @param.name  a parameter (its type is read from the node)
;   @string  a string or template literal (model ids, api keys)
;   @export  `export default <expr>`

(import_statement) @import

(variable_declarator
  name: (_) @bind.name
  value: (_) @bind.value) @bind

(assignment_expression
  left: (_) @bind.name
  right: (_) @bind.value) @bind

(call_expression
  function: (_) @call.callee
  arguments: (arguments) @call.args) @call

; a tagged template (db.exec`INSERT ...`): a call by name only (CL07 reads
; its SQL); facts_process_call leaves it alone
(call_expression
  function: (_) @call.callee
  arguments: (template_string) @call.args) @call

(new_expression
  constructor: (_) @call.callee
  arguments: (arguments) @call.args) @new

(function_declaration) @scope
(function_expression) @scope
(arrow_function) @scope
(method_definition) @scope
(generator_function_declaration) @scope

(arrow_function parameter: (identifier) @param.name) @param

(export_statement value: (_) @export.value) @export

(string) @string
(template_string) @string

; A function or class declaration binds its name (its value is the
; declaration: a function summary or the class's instance state).
(function_declaration name: (identifier) @def.name) @def
(generator_function_declaration name: (identifier) @def.name) @def
(class_declaration name: (_) @def.name) @def

; A re-export (`export { makeClaude } from './client'`) imports the names
; and binds them at module level, so other files import them from here.
(export_statement source: (string)) @import

; `client ??= new Anthropic()`, `client ||= …`: a memoised value binds too;
; `prompt += text` appends to the string the name held (facts_append_value).
(augmented_assignment_expression
  left: (identifier) @bind.name
  operator: ["??=" "||=" "+="]
  right: (_) @bind.value) @bind

; A class method binds this.<name> (its value is the method's summary).
(method_definition name: (property_identifier) @def.name) @def
