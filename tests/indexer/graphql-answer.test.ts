/** The status and caching of the read API's GraphQL answers (src/api/graphql-answer.ts). */
import { graphqlAnswer } from "../../indexer/src/api/graphql-answer";

test("a clean answer is a 200 the caches may keep", () => {
  expect(graphqlAnswer('{"data":{"vaults":{"items":[]}}}')).toEqual({ status: 200, noStore: false });
  // "errors" as a value in the data is not GraphQL's errors.
  expect(graphqlAnswer('{"data":{"ilk":{"id":"\\"errors\\""}}}')).toEqual({ status: 200, noStore: false });
  expect(graphqlAnswer('{"data":{"a":1},"errors":[]}')).toEqual({ status: 200, noStore: false });
});

test("errors beside data (a statement timeout on a nullable field): 200, but no cache keeps it", () => {
  const partial = { data: { ilk: null, vaults: { items: [] } }, errors: [{ message: "canceling statement due to statement timeout", path: ["ilk"] }] };
  expect(graphqlAnswer(JSON.stringify(partial))).toEqual({ status: 200, noStore: true });
});

test("a request refused as a whole (errors, no data): 400, kept by no cache", () => {
  expect(graphqlAnswer('{"errors":[{"message":"Syntax Error"}]}')).toEqual({ status: 400, noStore: true });
  expect(graphqlAnswer('{"data":null,"errors":[{"message":"Invalid limit"}]}')).toEqual({ status: 400, noStore: true });
});
