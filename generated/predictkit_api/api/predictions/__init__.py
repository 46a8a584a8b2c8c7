"""Contains endpoint functions for accessing the API

The resource for this tag is handwritten (wrapper/predictkit/resources/), because its behaviour
is special; see generator-templates/predictkit.jinja."""
