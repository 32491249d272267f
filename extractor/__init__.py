"""stayform's extractor: email in, hotel request form out.

The data flows one way, one module a step:
read (email -> message) -> text (clean body) -> spans (model, rules) -> merge -> normalize
-> stays -> confidence and routing. `pipeline.Extractor` runs them in that order.
"""
