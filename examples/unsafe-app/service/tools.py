"""Tool definitions for the support agent. issue_refund moves money."""

TOOLS = [
    {
        "name": "lookup_order",
        "description": "Look up an order by its number (AO-123456).",
        "input_schema": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
    },
    {
        "name": "issue_refund",
        "description": "Refund a returned order to the original payment method.",
        "input_schema": {
            "type": "object",
            "properties": {"order_id": {"type": "string"}, "amount_cents": {"type": "integer"}},
            "required": ["order_id", "amount_cents"],
        },
    },
]

