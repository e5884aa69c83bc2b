// The same handler as /api/centrifuge/trends/{strain} (the contract lists both paths).
export { GET } from "@/app/api/centrifuge/trends/[strain]/route";
