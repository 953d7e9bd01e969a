using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Storage;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>
    /// CreateVectorName and DeleteVectorName: the request becomes REST's <c>VectorNameConfig</c> body and goes through
    /// <see cref="VectorNamesApi"/>, so both APIs validate and apply the change identically.
    /// </summary>
    private static QdrantGrpcMethods MapVectorNames(this QdrantGrpcMethods methods, TableOfContents toc, Lazy<ICollectionMetaOperations> meta, NodeOptions o)
    {
        methods.Unary<Q.CreateVectorNameRequest, Q.PointsOperationResponse>(Service, "CreateVectorName", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            string name = toc.Get(r.CollectionName).Name;
            GrpcPoints.Ordering(r.Ordering);
            using var body = CollectionsService.Parse(VectorNameBody(r));
            await VectorNamesApi.CreateAsync(name, r.VectorName, body.RootElement, toc, meta.Value, o, ct).ConfigureAwait(false);
            return Response(new UpdateResult(0, r.Wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged));
        });
        methods.Unary<Q.DeleteVectorNameRequest, Q.PointsOperationResponse>(Service, "DeleteVectorName", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            string name = toc.Get(r.CollectionName).Name;
            GrpcPoints.Ordering(r.Ordering);
            await VectorNamesApi.DeleteAsync(name, r.VectorName, toc, meta.Value, ct).ConfigureAwait(false);
            return Response(new UpdateResult(0, r.Wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged));
        });
        return methods;
    }

    private static JsonObject VectorNameBody(Q.CreateVectorNameRequest r)
    {
        switch (r.VectorConfigCase)
        {
            case Q.CreateVectorNameRequest.VectorConfigOneofCase.DenseConfig:
                var d = r.DenseConfig;
                var dense = new JsonObject
                {
                    ["size"] = d.Size,
                    ["distance"] = d.Distance switch
                    {
                        Q.Distance.Cosine => "Cosine",
                        Q.Distance.Euclid => "Euclid",
                        Q.Distance.Dot => "Dot",
                        Q.Distance.Manhattan => "Manhattan",
                        _ => d.Distance.ToString(),
                    },
                };
                if (d.HasDatatype) dense["datatype"] = Datatype(d.Datatype);
                if (d.MultivectorConfig is not null) dense["multivector_config"] = new JsonObject { ["comparator"] = "max_sim" };
                return new JsonObject { ["dense"] = dense };
            case Q.CreateVectorNameRequest.VectorConfigOneofCase.SparseConfig:
                var s = r.SparseConfig;
                var sparse = new JsonObject();
                if (s.HasModifier) sparse["modifier"] = s.Modifier == Q.Modifier.Idf ? "idf" : "none";
                if (s.HasDatatype) sparse["datatype"] = Datatype(s.Datatype);
                return new JsonObject { ["sparse"] = sparse };
            default:
                throw CollectionException.WrongInput("vector_config is required: dense_config or sparse_config");
        }
    }

    private static string Datatype(Q.Datatype datatype) => datatype switch
    {
        Q.Datatype.Float16 => "float16",
        Q.Datatype.Uint8 => "uint8",
        _ => "float32",
    };
}
