"""Contains all the data models used in inputs/outputs.

predictkit override: each model is imported on first access (PEP 562 ``__getattr__``), so using
one model, or importing one endpoint module, does not import all of them. ``from
predictkit_api.models import X`` and ``predictkit_api.models.X`` work as before.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base_user import BaseUser
    from .compatibilities import Compatibilities
    from .complete_upload_request import CompleteUploadRequest
    from .create_model_prediction_request import CreateModelPredictionRequest
    from .create_model_prediction_request_input import CreateModelPredictionRequestInput
    from .create_model_request import CreateModelRequest
    from .create_model_version_request import CreateModelVersionRequest
    from .create_prediction_request import CreatePredictionRequest
    from .create_upload_request import CreateUploadRequest
    from .create_variable_request import CreateVariableRequest
    from .error_response import ErrorResponse
    from .error_source import ErrorSource
    from .hardware import Hardware
    from .hardware_list import HardwareList
    from .http_validation_error import HTTPValidationError
    from .legacy_model_hardware import LegacyModelHardware
    from .model import Model
    from .model_category import ModelCategory
    from .model_category_list import ModelCategoryList
    from .model_category_with_details import ModelCategoryWithDetails
    from .model_list import ModelList
    from .model_version import ModelVersion
    from .model_version_configuration import ModelVersionConfiguration
    from .model_version_list import ModelVersionList
    from .model_version_with_details import ModelVersionWithDetails
    from .model_version_with_details_and_configuration import ModelVersionWithDetailsAndConfiguration
    from .model_visibility import ModelVisibility
    from .model_with_details import ModelWithDetails
    from .models_sort_by import ModelsSortBy
    from .prediction import Prediction
    from .prediction_list import PredictionList
    from .prediction_model import PredictionModel
    from .prediction_status import PredictionStatus
    from .prediction_stream_event import PredictionStreamEvent
    from .prediction_stream_event_type import PredictionStreamEventType
    from .prediction_with_details import PredictionWithDetails
    from .schema_io import SchemaIO
    from .schema_io_input import SchemaIOInput
    from .schema_io_output import SchemaIOOutput
    from .schema_io_stream_output import SchemaIOStreamOutput
    from .schemas import Schemas
    from .sort_direction import SortDirection
    from .task_error import TaskError
    from .update_model_request import UpdateModelRequest
    from .update_model_version_configuration_request import UpdateModelVersionConfigurationRequest
    from .update_user_request import UpdateUserRequest
    from .update_variable_request import UpdateVariableRequest
    from .upload import Upload
    from .upload_completion_result import UploadCompletionResult
    from .user import User
    from .user_list import UserList
    from .user_with_details import UserWithDetails
    from .users_sort_by import UsersSortBy
    from .validation_error import ValidationError
    from .variable import Variable
    from .variable_list import VariableList
    from .webhook import Webhook

_MODULE_OF = {
    "BaseUser": ".base_user",
    "Compatibilities": ".compatibilities",
    "CompleteUploadRequest": ".complete_upload_request",
    "CreateModelPredictionRequest": ".create_model_prediction_request",
    "CreateModelPredictionRequestInput": ".create_model_prediction_request_input",
    "CreateModelRequest": ".create_model_request",
    "CreateModelVersionRequest": ".create_model_version_request",
    "CreatePredictionRequest": ".create_prediction_request",
    "CreateUploadRequest": ".create_upload_request",
    "CreateVariableRequest": ".create_variable_request",
    "ErrorResponse": ".error_response",
    "ErrorSource": ".error_source",
    "Hardware": ".hardware",
    "HardwareList": ".hardware_list",
    "HTTPValidationError": ".http_validation_error",
    "LegacyModelHardware": ".legacy_model_hardware",
    "Model": ".model",
    "ModelCategory": ".model_category",
    "ModelCategoryList": ".model_category_list",
    "ModelCategoryWithDetails": ".model_category_with_details",
    "ModelList": ".model_list",
    "ModelVersion": ".model_version",
    "ModelVersionConfiguration": ".model_version_configuration",
    "ModelVersionList": ".model_version_list",
    "ModelVersionWithDetails": ".model_version_with_details",
    "ModelVersionWithDetailsAndConfiguration": ".model_version_with_details_and_configuration",
    "ModelVisibility": ".model_visibility",
    "ModelWithDetails": ".model_with_details",
    "ModelsSortBy": ".models_sort_by",
    "Prediction": ".prediction",
    "PredictionList": ".prediction_list",
    "PredictionModel": ".prediction_model",
    "PredictionStatus": ".prediction_status",
    "PredictionStreamEvent": ".prediction_stream_event",
    "PredictionStreamEventType": ".prediction_stream_event_type",
    "PredictionWithDetails": ".prediction_with_details",
    "SchemaIO": ".schema_io",
    "SchemaIOInput": ".schema_io_input",
    "SchemaIOOutput": ".schema_io_output",
    "SchemaIOStreamOutput": ".schema_io_stream_output",
    "Schemas": ".schemas",
    "SortDirection": ".sort_direction",
    "TaskError": ".task_error",
    "UpdateModelRequest": ".update_model_request",
    "UpdateModelVersionConfigurationRequest": ".update_model_version_configuration_request",
    "UpdateUserRequest": ".update_user_request",
    "UpdateVariableRequest": ".update_variable_request",
    "Upload": ".upload",
    "UploadCompletionResult": ".upload_completion_result",
    "User": ".user",
    "UserList": ".user_list",
    "UserWithDetails": ".user_with_details",
    "UsersSortBy": ".users_sort_by",
    "ValidationError": ".validation_error",
    "Variable": ".variable",
    "VariableList": ".variable_list",
    "Webhook": ".webhook",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_MODULE_OF)


__all__ = (
    "BaseUser",
    "Compatibilities",
    "CompleteUploadRequest",
    "CreateModelPredictionRequest",
    "CreateModelPredictionRequestInput",
    "CreateModelRequest",
    "CreateModelVersionRequest",
    "CreatePredictionRequest",
    "CreateUploadRequest",
    "CreateVariableRequest",
    "ErrorResponse",
    "ErrorSource",
    "Hardware",
    "HardwareList",
    "HTTPValidationError",
    "LegacyModelHardware",
    "Model",
    "ModelCategory",
    "ModelCategoryList",
    "ModelCategoryWithDetails",
    "ModelList",
    "ModelsSortBy",
    "ModelVersion",
    "ModelVersionConfiguration",
    "ModelVersionList",
    "ModelVersionWithDetails",
    "ModelVersionWithDetailsAndConfiguration",
    "ModelVisibility",
    "ModelWithDetails",
    "Prediction",
    "PredictionList",
    "PredictionModel",
    "PredictionStatus",
    "PredictionStreamEvent",
    "PredictionStreamEventType",
    "PredictionWithDetails",
    "SchemaIO",
    "SchemaIOInput",
    "SchemaIOOutput",
    "SchemaIOStreamOutput",
    "Schemas",
    "SortDirection",
    "TaskError",
    "UpdateModelRequest",
    "UpdateModelVersionConfigurationRequest",
    "UpdateUserRequest",
    "UpdateVariableRequest",
    "Upload",
    "UploadCompletionResult",
    "User",
    "UserList",
    "UsersSortBy",
    "UserWithDetails",
    "ValidationError",
    "Variable",
    "VariableList",
    "Webhook",
)
