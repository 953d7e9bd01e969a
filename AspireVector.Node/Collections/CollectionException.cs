namespace AspireVector.Node.Collections;

/// <summary>
/// A client-visible failure with its HTTP status and Qdrant's wording, mapped to the error envelope at the API edge.
/// </summary>
public sealed class CollectionException : Exception
{
    /// <summary>Creates an error answered with <paramref name="statusCode"/>.</summary>
    public CollectionException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    /// <summary>HTTP status of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>404 "Not found: Collection `x` doesn't exist!".</summary>
    public static CollectionException NotFound(string name) => new(404, $"Not found: Collection `{name}` doesn't exist!");

    /// <summary>409 "Wrong input: Collection `x` already exists!".</summary>
    public static CollectionException AlreadyExists(string name) => new(409, $"Wrong input: Collection `{name}` already exists!");

    /// <summary>404 "Not found: No point with id x found".</summary>
    public static CollectionException PointNotFound(Points.PointId id) => new(404, $"Not found: No point with id {id} found");

    /// <summary>400 "Wrong input: ...".</summary>
    public static CollectionException WrongInput(string message) => new(400, "Wrong input: " + message);

    /// <summary>400 for a request body that does not deserialize ("Json deserialize error: ...").</summary>
    public static CollectionException BadJson(string message) => new(400, "Json deserialize error: " + message);

    /// <summary>422-style validation failure, answered with 400 as Qdrant does ("Validation error in JSON body: [...]").</summary>
    public static CollectionException Validation(string field, string message) => new(400, $"Validation error in JSON body: [{field}: {message}]");
}
