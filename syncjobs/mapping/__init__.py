"""Pure mapping evaluation: source record + mapping rows + pre-fetched context → target payload.

Nothing here touches the database or the network; the engine fetches value maps and
cross-references per page and passes them in a ``MappingContext``.
"""

from syncjobs.mapping.context import LOOKUP_FIELDS, MappingContext
from syncjobs.mapping.errors import MappingConfigError, MappingError, MappingFailed
from syncjobs.mapping.evaluate import (
    CompiledMapping,
    apply_mapping,
    compile_mapping,
    lookup_requests,
    value_map_slugs,
)
from syncjobs.mapping.paths import PathError, parse_path
from syncjobs.mapping.rows import MappingRow, mapping_errors, row_errors
from syncjobs.mapping.transforms import TRANSFORMS, ParameterError, transform_choices, validate_params

__all__ = [
    "LOOKUP_FIELDS",
    "TRANSFORMS",
    "CompiledMapping",
    "MappingConfigError",
    "MappingContext",
    "MappingError",
    "MappingFailed",
    "MappingRow",
    "ParameterError",
    "PathError",
    "apply_mapping",
    "compile_mapping",
    "lookup_requests",
    "mapping_errors",
    "parse_path",
    "row_errors",
    "transform_choices",
    "validate_params",
    "value_map_slugs",
]
